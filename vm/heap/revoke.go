package heap

import (
	"fmt"
	"unsafe"

	"github.com/dop251/goja"
)

// Proxy.revocable's revoke function is a native function whose Go closure
// captures the proxy it revokes (goja's builtin_proxy_revocable). The layout
// check finds, on a sample, the closure's code and which captured word holds
// the proxy, so that a revoke function can be told from other natives, its
// proxy read, and a fresh one pointed at a rebuilt proxy.

var revokeLayout struct {
	code      uintptr
	proxyWord int
}

// revokeMaxWords is the number of words goja's revoke closure captures
// (the proxy alone). No more may be read: under -race, checkptr refuses a
// pointer conversion that reaches past the closure's allocation.
const revokeMaxWords = 1

// revokeSample makes the sample of checkRevokeLayout.
const revokeSample = `Proxy.revocable({}, {})`

// checkRevokeLayout finds the revoke closure's layout on a sample (o, what
// revokeSample made).
func checkRevokeLayout(o *goja.Object) error {
	proxy, _ := o.Get("proxy").(*goja.Object)
	revoke, _ := o.Get("revoke").(*goja.Object)
	if proxy == nil || revoke == nil || KindOf(revoke) != KindNative || KindOf(proxy) != KindProxy {
		return fmt.Errorf("Proxy.revocable sample is not a proxy and a native function")
	}
	f := *NativeOf(revoke).F()
	if f == nil {
		return fmt.Errorf("revoke function has no Go function")
	}
	fv := funcval(f)
	words := (*[revokeMaxWords + 1]unsafe.Pointer)(fv)
	revokeLayout.code, revokeLayout.proxyWord = uintptr(words[0]), -1
	for i := 1; i <= revokeMaxWords; i++ {
		if words[i] == impl(proxy) {
			revokeLayout.proxyWord = i
			break
		}
	}
	if revokeLayout.proxyWord < 0 {
		return fmt.Errorf("cannot find the proxy in goja's revoke function")
	}
	return nil
}

// RevokedProxy tells whether o is a revoke function made by Proxy.revocable
// and returns the proxy it revokes (which may be revoked already).
func RevokedProxy(o *goja.Object) (*goja.Object, bool) {
	if revokeLayout.proxyWord <= 0 || KindOf(o) != KindNative {
		return nil, false
	}
	f := *NativeOf(o).F()
	if f == nil {
		return nil, false
	}
	fv := funcval(f)
	if *(*uintptr)(fv) != revokeLayout.code {
		return nil, false
	}
	words := (*[revokeMaxWords + 1]unsafe.Pointer)(fv)
	return *(*ProxyObject)(words[revokeLayout.proxyWord]).Val(), true
}

// SetRevokedProxy makes the revoke function fn (one RevokedProxy accepts,
// made for this purpose and not shared) revoke proxy instead.
func SetRevokedProxy(fn, proxy *goja.Object) error {
	if _, ok := RevokedProxy(fn); !ok {
		return fmt.Errorf("not a revoke function")
	}
	if KindOf(proxy) != KindProxy {
		return fmt.Errorf("a revoke function's proxy is not a proxy")
	}
	words := (*[revokeMaxWords + 1]unsafe.Pointer)(funcval(*NativeOf(fn).F()))
	words[revokeLayout.proxyWord] = impl(proxy)
	return nil
}
