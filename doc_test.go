package stasis_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestExportedNamesHaveDocComments fails naming every exported identifier
// of the module's library packages (not commands, tests or testdata) that
// has no doc comment: top-level functions, types, constants and variables,
// methods of exported types, and exported fields of exported structs and
// methods of exported interfaces. A constant or variable in a group with a
// doc comment, and a field or spec with a comment on its line, count as
// documented; so does every package, which needs a package comment in one
// of its files.
func TestExportedNamesHaveDocComments(t *testing.T) {
	missing, err := undocumented(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("%d exported names have no doc comment (write one, as encoding/json does):\n\t%s",
			len(missing), strings.Join(missing, "\n\t"))
	}
}

// undocumented walks the packages under root and lists what lacks a doc
// comment, as "file:line: name".
func undocumented(root string) ([]string, error) {
	byDir := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			byDir[filepath.Dir(path)] = append(byDir[filepath.Dir(path)], path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var missing []string
	for dir, files := range byDir {
		fset := token.NewFileSet()
		var parsed []*ast.File
		hasPackageDoc := false
		for _, path := range files {
			src, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			if f.Name.Name == "main" {
				continue
			}
			parsed = append(parsed, f)
			hasPackageDoc = hasPackageDoc || f.Doc != nil
		}
		if len(parsed) == 0 {
			continue
		}
		if !hasPackageDoc {
			missing = append(missing, dir+": package "+parsed[0].Name.Name)
		}
		exportedTypes := map[string]bool{}
		for _, f := range parsed {
			for _, d := range f.Decls {
				if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
					for _, s := range g.Specs {
						if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
							exportedTypes[ts.Name.Name] = true
						}
					}
				}
			}
		}
		report := func(pos token.Pos, name string) {
			p := fset.Position(pos)
			missing = append(missing, p.Filename+":"+strconv.Itoa(p.Line)+": "+name)
		}
		for _, f := range parsed {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					name := d.Name.Name
					if d.Recv != nil {
						recv := receiverType(d.Recv.List[0].Type)
						if !exportedTypes[recv] {
							continue
						}
						name = recv + "." + name
					}
					if d.Name.IsExported() && d.Doc == nil {
						report(d.Pos(), name)
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								continue
							}
							if s.Doc == nil && d.Doc == nil && s.Comment == nil {
								report(s.Pos(), s.Name.Name)
							}
							checkMembers(s, report)
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if n.IsExported() && s.Doc == nil && d.Doc == nil && s.Comment == nil {
									report(n.Pos(), n.Name)
								}
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(missing)
	return missing, nil
}

// checkMembers reports the exported fields of a struct type and the
// exported methods of an interface type that have no comment.
func checkMembers(s *ast.TypeSpec, report func(token.Pos, string)) {
	var fields *ast.FieldList
	switch t := s.Type.(type) {
	case *ast.StructType:
		fields = t.Fields
	case *ast.InterfaceType:
		fields = t.Methods
	default:
		return
	}
	for _, f := range fields.List {
		if f.Doc != nil || f.Comment != nil {
			continue
		}
		for _, n := range f.Names {
			if n.IsExported() {
				report(n.Pos(), s.Name.Name+"."+n.Name)
			}
		}
	}
}

// receiverType is the name of a method's receiver type (T for *T, T[K]).
func receiverType(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// TestUndocumentedReports checks the checker on a made-up module: it must
// name each kind of undocumented identifier and nothing documented, private,
// in a command, in a test file or under testdata.
func TestUndocumentedReports(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"lib/lib.go": `package lib

func F() {}

// G is documented.
func G() {}

func private() {}

type T struct {
	A int
	B int // B is documented on its line.
	c int
}

func (T) M() {}

func (t *T) N() {}

type t struct{ X int }

func (t) M() {}

// The group's comment documents its members.
const (
	C1 = 1
	C2 = 2
)

var V, W = 1, 2

type I interface {
	Do()
	// Done is documented.
	Done()
}
`,
		"lib/lib_test.go":          "package lib\n\nfunc Helper() {}\n",
		"cmd/tool/main.go":         "package main\n\nfunc Exported() {}\n\nfunc main() {}\n",
		"lib/testdata/x/x.go":      "package x\n\nfunc Hidden() {}\n",
		"documented/documented.go": "// Package documented is.\npackage documented\n\n// OK is.\nconst OK = 1\n",
	}
	for name, src := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := undocumented(root)
	if err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(root, "lib")
	at := func(line int, name string) string {
		return filepath.Join(lib, "lib.go") + ":" + strconv.Itoa(line) + ": " + name
	}
	want := []string{
		at(11, "T.A"), at(10, "T"), at(16, "T.M"), at(18, "T.N"), at(3, "F"),
		at(32, "I"), at(33, "I.Do"), at(30, "V"), at(30, "W"),
		lib + ": package lib",
	}
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("undocumented reported\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
