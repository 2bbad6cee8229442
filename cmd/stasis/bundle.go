package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/stasisvm/stasis/image"
	"github.com/stasisvm/stasis/internal/heapgrow"
)

// A bundle is this executable with an image appended as a zip archive (see
// image/bundle.go). Started, it resumes the image and gives every argument
// to the world: it parses no Stasis flags.

type bundleCmd struct {
	Out   string `short:"o" required:"" placeholder:"APP" help:"Executable to write (replaced atomically)."`
	Image string `arg:"" help:"Image to put in the bundle (an image file or another bundle)."`
}

func (c *bundleCmd) Help() string {
	return "Writes APP: a copy of this stasis executable with IMAGE appended to it as a zip\n" +
		"archive. Started, APP resumes the image (native plugins rebind, stasis.onResume\n" +
		"hooks run), calls its main function (stasis.setMain) with all of APP's arguments,\n" +
		"runs the event loop until idle and exits with the world's exit code\n" +
		"(stasis.exit(code); 1 after an uncaught error). APP parses no flags of its own\n" +
		"and needs no file beside it.\n\n" +
		"On macOS, appending the image invalidates the executable's code signature:\n" +
		"re-sign APP with `codesign -f -s - APP` (or with your identity)."
}

func (c *bundleCmd) Run(e *env) error {
	img, err := readImage(c.Image)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find this executable: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return fmt.Errorf("cannot read this executable: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	if _, ok, _ := image.BundledImage(f, size); ok {
		// A bundle parses no commands, so this cannot happen; but never
		// nest one bundle in another.
		return fmt.Errorf("this executable is itself a bundle")
	}
	err = image.WriteFileAtomic(c.Out, 0o755, func(w io.Writer) error {
		return image.WriteBundle(w, io.NewSectionReader(f, 0, size), size, img)
	})
	if err != nil {
		return image.FileError(c.Out, err)
	}
	if err := os.Chmod(c.Out, 0o755); err != nil {
		return image.FileError(c.Out, err)
	}
	if runtime.GOOS == "darwin" {
		fmt.Fprintf(e.stderr, "note: appending the image broke the code signature of %s; re-sign it with: codesign -f -s - %s\n", c.Out, c.Out)
	}
	return nil
}

// readImage returns the bytes of the image at path, or of the image inside
// the bundle at path, after checking that they are a readable image.
func readImage(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, image.FileError(path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, image.FileError(path, err)
	}
	var r io.ReaderAt = f
	size := fi.Size()
	if sec, ok, err := image.BundledImage(f, size); err != nil {
		return nil, image.FileError(path, err)
	} else if ok {
		r, size = sec, sec.Size()
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, image.FileError(path, err)
	}
	meta, _, err := image.ReadContainer(bytes.NewReader(data))
	if err == nil {
		err = image.CheckCompatible(meta)
	}
	if err != nil {
		return nil, image.FileError(path, err)
	}
	return data, nil
}

// runBundle runs this executable as a bundle when an image is appended to
// it; ok is false when it is not a bundle. args are all the arguments after
// the program name.
func runBundle(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int, ok bool) {
	name := filepath.Base(os.Args[0])
	// Its own file, even once a new build is renamed over its path.
	f, sec, err := image.OpenSelf()
	if errors.Is(err, image.ErrNotBundle) || errors.Is(err, os.ErrNotExist) {
		return 0, false
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return exitError, true
	}
	defer f.Close()
	// Before anything of the load allocates (see heapAhead); the advice is
	// taken back at the first collection after the load (see
	// atNextCollection).
	settle := heapgrow.Ahead(heapAhead(sec.Size()))
	// What every load does whatever the image (goja's layout check, the
	// registry of its instruction types) runs on another core while this
	// goroutine reads the image and makes the world.
	go image.Prepare(sec.Size())
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, args: append([]string{}, args...)}
	// A bundle parses no flags: its grants come from $STASIS_OPTIONS.
	if err := e.grant(grantFlags{}); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return exitUsage, true
	}
	if e.perms != nil {
		e.perms.GrantedIn = "$" + optionsEnv
	}
	if err := e.limit(limitFlags{}); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return exitUsage, true
	}
	return runWorld(name, sec, sec.Size(), e, func() { atNextCollection(settle) }), true
}

// runWorld loads the image in r (size bytes), calls loaded, resumes the
// world with e.args, runs the event loop until idle and returns the
// world's exit status.
func runWorld(name string, r io.Reader, size int64, e *env, loaded func()) int {
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "%s: %s\n", name, describe(err))
		return exitError
	}
	gcOn := noGCWhileLoading(size)
	v, _, err := image.Load(r, image.LoadOptions{VM: worldOptions(e), Limits: e.limits, CompileSource: e.compileSource})
	gcOn()
	loaded()
	if err != nil {
		return fail(fmt.Errorf("bundled image: %w", err))
	}
	image.AttachSaver(v)
	err = finish(v, image.Resume(v, e.args))
	var exit worldExit
	if errors.As(err, &exit) {
		return int(exit)
	}
	if err != nil {
		return fail(err)
	}
	return exitOK
}
