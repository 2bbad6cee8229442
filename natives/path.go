package natives

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/dop251/goja"
	"github.com/stasisvm/stasis/vm"
)

// makePath makes the built-in module "path": Node's path functions over the
// host's file paths (path/filepath).
func makePath(v *vm.VM) *goja.Object {
	rt := v.Runtime()
	m := rt.NewObject()
	str := func(c goja.FunctionCall, i int, name string) string {
		s, ok := c.Argument(i).Export().(string)
		if !ok {
			throwTypef(v, "ERR_INVALID_ARG_TYPE", "The \"%s\" argument must be of type string. Received %s", name, describeArg(c.Argument(i)))
		}
		return s
	}
	all := func(c goja.FunctionCall) []string {
		out := make([]string, len(c.Arguments))
		for i := range c.Arguments {
			out[i] = str(c, i, "paths["+itoa(i)+"]")
		}
		return out
	}
	ret := func(s string) goja.Value { return rt.ToValue(s) }
	v.DefineFunction(m, "join", 0, func(c goja.FunctionCall) goja.Value {
		j := filepath.Join(all(c)...)
		if j == "" {
			j = "."
		}
		return ret(j)
	})
	v.DefineFunction(m, "resolve", 0, func(c goja.FunctionCall) goja.Value {
		parts := all(c)
		res := ""
		for i := len(parts) - 1; i >= 0 && !filepath.IsAbs(res); i-- {
			if parts[i] != "" {
				res = filepath.Join(parts[i], res)
			}
		}
		if !filepath.IsAbs(res) {
			cwd, _ := os.Getwd()
			res = filepath.Join(cwd, res)
		}
		return ret(filepath.Clean(res))
	})
	v.DefineFunction(m, "normalize", 1, func(c goja.FunctionCall) goja.Value {
		p := str(c, 0, "path")
		if p == "" {
			return ret(".")
		}
		n := filepath.Clean(p)
		if strings.HasSuffix(p, string(filepath.Separator)) && !strings.HasSuffix(n, string(filepath.Separator)) {
			n += string(filepath.Separator)
		}
		return ret(n)
	})
	v.DefineFunction(m, "isAbsolute", 1, func(c goja.FunctionCall) goja.Value {
		return rt.ToValue(filepath.IsAbs(str(c, 0, "path")))
	})
	v.DefineFunction(m, "dirname", 1, func(c goja.FunctionCall) goja.Value {
		p := strings.TrimRight(str(c, 0, "path"), string(filepath.Separator))
		if p == "" {
			if strings.HasPrefix(str(c, 0, "path"), string(filepath.Separator)) {
				return ret(string(filepath.Separator))
			}
			return ret(".")
		}
		return ret(filepath.Dir(p))
	})
	v.DefineFunction(m, "basename", 2, func(c goja.FunctionCall) goja.Value {
		p := strings.TrimRight(str(c, 0, "path"), string(filepath.Separator))
		if p == "" {
			return ret("")
		}
		b := filepath.Base(p)
		if ext, ok := c.Argument(1).Export().(string); ok && ext != "" && ext != b && strings.HasSuffix(b, ext) {
			b = strings.TrimSuffix(b, ext)
		}
		return ret(b)
	})
	v.DefineFunction(m, "extname", 1, func(c goja.FunctionCall) goja.Value {
		b := filepath.Base(str(c, 0, "path"))
		i := strings.LastIndexByte(b, '.')
		if i <= 0 || strings.Trim(b, ".") == "" {
			return ret("")
		}
		return ret(b[i:])
	})
	v.DefineFunction(m, "relative", 2, func(c goja.FunctionCall) goja.Value {
		from, to := str(c, 0, "from"), str(c, 1, "to")
		cwd, _ := os.Getwd()
		abs := func(p string) string {
			if !filepath.IsAbs(p) {
				p = filepath.Join(cwd, p)
			}
			return filepath.Clean(p)
		}
		r, err := filepath.Rel(abs(from), abs(to))
		if err != nil {
			return ret(abs(to))
		}
		if r == "." {
			r = ""
		}
		return ret(r)
	})
	_ = m.Set("sep", string(filepath.Separator))
	_ = m.Set("delimiter", string(filepath.ListSeparator))
	return m
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
