package natives

import (
	"math"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// maxViewPairs bounds how many pairs the view of a URLSearchParams reads
// from a state, which an image may have made as long as it likes.
const maxViewPairs = 1 << 14

// urlView shows a URL as Node does: its href and each of its parts, read
// from its state's href (parsed again) without calling its getters.
func (k *urlKit) urlView(o, st *goja.Object, read vm.ViewReader) (vm.View, bool) {
	if st == nil {
		return vm.View{Throw: invalidReceiver(k.v, "", "Receiver must be an instance of class URL")}, true
	}
	href, ok := read(st, "href").(goja.String)
	if !ok {
		return vm.View{}, false
	}
	params, _ := read(st, "searchParams").(*goja.Object)
	if params == nil {
		return vm.View{}, false
	}
	u, err := urlParser.Parse(href.String())
	if err != nil {
		return vm.View{}, false
	}
	rt := k.v.Runtime()
	str := func(key, s string) vm.ViewField { return vm.ViewField{Key: key, Value: rt.ToValue(s)} }
	return vm.View{Fields: []vm.ViewField{
		str("href", u.Href(false)),
		str("origin", origin(u)),
		str("protocol", u.Protocol()),
		str("username", u.Username()),
		str("password", u.Password()),
		str("host", u.Host()),
		str("hostname", u.Hostname()),
		str("port", u.Port()),
		str("pathname", u.Pathname()),
		str("search", u.Search()),
		{Key: "searchParams", Value: params},
		str("hash", u.Hash()),
	}}, true
}

// paramsView shows a URLSearchParams as Node does: its pairs, name => value.
func (k *urlKit) paramsView(o, st *goja.Object, read vm.ViewReader) (vm.View, bool) {
	if st == nil {
		return vm.View{Throw: invalidReceiver(k.v, "ERR_INVALID_THIS", `Value of "this" must be of type URLSearchParams`)}, true
	}
	list, _ := read(st, "list").(*goja.Object)
	if list == nil {
		return vm.View{}, false
	}
	n := 0.0
	if l := read(list, "length"); l != nil {
		n = l.ToFloat()
	}
	if math.IsNaN(n) || n < 0 {
		return vm.View{}, false
	}
	n = math.Min(n, 2*maxViewPairs)
	pairs := []goja.Value{}
	for i := 0; i+1 < int(n); i += 2 {
		name, ok1 := read(list, itoa(i)).(goja.String)
		value, ok2 := read(list, itoa(i+1)).(goja.String)
		if !ok1 || !ok2 {
			return vm.View{}, false
		}
		pairs = append(pairs, name, value)
	}
	return vm.View{Pairs: pairs}, true
}
