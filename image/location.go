package image

import (
	"bytes"
	"context"
	"fmt"

	"github.com/stasisvm/stasis/image/store"
	"github.com/stasisvm/stasis/vm"
)

// A location names where an image lives: an image file's path,
// "sqlite:FILE#NAME" or "postgres://...#NAME" (see image/store). These
// helpers let every command that takes an image take a location.

// ReadLocation returns the bytes of the image at a location that is not a
// plain file (a file is read with the os package, so that a bundle can be
// opened in place).
func ReadLocation(ctx context.Context, location string) ([]byte, error) {
	st, name, err := store.Open(ctx, location)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	img, err := st.Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return img.Data, nil
}

// LoadLocation loads the image at a location (see Load, LoadFile).
func LoadLocation(ctx context.Context, location string, opts LoadOptions) (*vm.VM, *Meta, error) {
	if store.IsFile(location) {
		return LoadFile(location, opts)
	}
	data, err := ReadLocation(ctx, location)
	if err != nil {
		return nil, nil, err
	}
	return Load(bytes.NewReader(data), opts)
}

// CheckpointLocation runs v's stasis.onSave hooks and saves v to a
// location (see SaveLocation).
func CheckpointLocation(ctx context.Context, location string, v *vm.VM, opts SaveOptions) error {
	if err := RunSaveHooks(v); err != nil {
		return err
	}
	return SaveLocation(ctx, location, v, opts)
}

// SaveLocation saves v to a location, without running hooks. A file is
// written atomically (see SaveFile); a world in a database is written
// under its lease, so a world that a durable run holds is refused with a
// *store.HeldError naming the holder.
func SaveLocation(ctx context.Context, location string, v *vm.VM, opts SaveOptions) error {
	if store.IsFile(location) {
		return SaveFile(location, v, opts)
	}
	var buf bytes.Buffer
	if err := Save(&buf, v, opts); err != nil {
		return err
	}
	st, name, err := store.Open(ctx, location)
	if err != nil {
		return err
	}
	defer st.Close()
	lease, err := st.Lease(ctx, name)
	if err != nil {
		return err
	}
	if err := lease.Put(ctx, buf.Bytes()); err != nil {
		lease.Release()
		return fmt.Errorf("%s: %w", location, err)
	}
	return lease.Release()
}
