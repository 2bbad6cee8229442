package main

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stasisvm/stasis/image/format"
	"github.com/stasisvm/stasis/image/imagetest"
)

// Crafted images (issue 13) are refused by every command that reads an
// image, with one line on stderr and status 1, and nothing runs.
func TestCraftedImagesRefused(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"w.js": "var args = (function () { return arguments })(1, 2);\n" +
			"stasis.onResume(function () { console.log('a hook ran') });\n",
	})
	if status, _, stderr := stasis(t, dir, "", "save-image", "-o", "w.img", "w.js"); status != 0 {
		t.Fatalf("save-image: %s", stderr)
	}
	img, err := os.ReadFile(filepath.Join(dir, "w.img"))
	if err != nil {
		t.Fatal(err)
	}
	// A header that claims a payload of 16 GiB.
	huge := append([]byte(nil), img...)
	binary.LittleEndian.PutUint64(huge[32:], 16<<30)
	binary.LittleEndian.PutUint32(huge[44:], crc32.Checksum(huge[:44], crc32.MakeTable(crc32.Castagnoli)))
	// An arguments object of length 2^40, with valid checksums.
	args := imagetest.Rewrite(t, img, func(p *format.Payload) {
		imagetest.Extra(t, p, format.KindArguments)[0] = 1 << 40
	})
	// Images of a newer format: a newer major version, and a newer minor
	// version that holds an object of a kind this build does not know.
	version := func(img []byte, major, minor uint16) string {
		b := append([]byte(nil), img...)
		binary.LittleEndian.PutUint16(b[8:], major)
		binary.LittleEndian.PutUint16(b[10:], minor)
		binary.LittleEndian.PutUint32(b[44:], crc32.Checksum(b[:44], crc32.MakeTable(crc32.Castagnoli)))
		return string(b)
	}
	unknown := imagetest.Rewrite(t, img, func(p *format.Payload) { p.Objects.Kinds[len(p.Objects.Kinds)-1] = 250 })
	writeTree(t, dir, map[string]string{"huge.img": string(huge), "args.img": string(args),
		"major.img": version(img, format.Major+1, 0), "minor.img": version(unknown, format.Major, format.Minor+1)})
	for _, c := range []struct{ img, want string }{
		{"huge.img", "image is over a load limit: payload of 17179869184 bytes unpacked is over the limit of 536870912"},
		{"args.img", "image is corrupt: object 1: arguments object of length 1099511627776"},
		{"major.img", fmt.Sprintf("image was written by a newer Stasis: format %d.0; this build reads format %s and older", format.Major+1, format.Current)},
		{"minor.img", fmt.Sprintf("image was written by a newer Stasis: format %d.%d; this build reads format %s and older (object", format.Major, format.Minor+1, format.Current)},
	} {
		for _, cmd := range [][]string{{"load-image", c.img}, {"inspect", c.img}, {"repl", c.img}} {
			status, stdout, stderr := stasis(t, dir, "", cmd...)
			if status != 1 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("%s: status %d, stdout %q, stderr %q; want 1 and one line saying %q", strings.Join(cmd, " "), status, stdout, stderr, c.want)
			}
		}
	}
}
