package main

import (
	"bytes"
	"testing"
)

// TestKVStoreSurvivesAnImage runs the example: the store's entries, the
// identity of its handle and a pending timer survive the image.
func TestKVStoreSurvivesAnImage(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	want := "resumed: Lovelace 3 users; same handle: true\n" +
		"timer set before the save sees ada, alan, grace\n"
	if out.String() != want {
		t.Errorf("got:\n%swant:\n%s", out.String(), want)
	}
}
