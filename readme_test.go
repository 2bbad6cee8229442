package stasis_test

import (
	"bytes"
	"fmt"
	"go/doc"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"
)

// TestReadmeEmbeddingSnippet checks that the Go program README.md shows
// under "Embedding Stasis in Go" is the package example (Example in
// example_test.go, which go test runs and checks) as a complete program,
// exactly as go doc and pkg.go.dev show it, so that the two cannot drift.
func TestReadmeEmbeddingSnippet(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	snippet, err := goBlockAfter(string(readme), "## Embedding Stasis in Go")
	if err != nil {
		t.Fatal(err)
	}
	want := exampleProgram(t, "example_test.go", "")
	if snippet != want {
		t.Errorf("README.md's embedding snippet is not the program of Example in example_test.go; "+
			"make them agree (the example is checked by go test). The example's program:\n%s", want)
	}
}

// goBlockAfter returns the text of the first ```go block after the line
// heading in markdown.
func goBlockAfter(markdown, heading string) (string, error) {
	_, rest, ok := strings.Cut(markdown, "\n"+heading+"\n")
	if !ok {
		return "", fmt.Errorf("no heading %q", heading)
	}
	_, rest, ok = strings.Cut(rest, "\n```go\n")
	if !ok {
		return "", fmt.Errorf("no ```go block after %q", heading)
	}
	block, _, ok := strings.Cut(rest, "\n```\n")
	if !ok {
		return "", fmt.Errorf("the ```go block after %q does not end", heading)
	}
	return block + "\n", nil
}

// exampleProgram returns the example called name (as in go doc: "" for the
// package example) of the test file path as go/doc makes it playable: a
// package main with its imports, the example's body as func main.
func exampleProgram(t *testing.T, path, name string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range doc.Examples(f) {
		if ex.Name != name {
			continue
		}
		if ex.Play == nil {
			t.Fatalf("%s: example %q is not a whole program for go/doc", path, name)
		}
		var b bytes.Buffer
		if err := format.Node(&b, fset, ex.Play); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	t.Fatalf("%s: no example %q", path, name)
	return ""
}
