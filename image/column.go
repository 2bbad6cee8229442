package image

// column is an append-only column of the payload as the walk builds it: a
// list of chunks, so that growing it never copies what it holds. A large
// world's columns hold millions of entries; growing them as slices copied
// each entry about four times over and left the copies to the collector,
// which cost a large save a third of its time and raised its peak memory.
// The columns are encoded from their pieces (format.EncodePieces).
type column[T any] struct {
	full [][]T // filled chunks, in order
	cur  []T   // the chunk being filled
}

// Chunks start small (most worlds are small) and double up to maxChunk
// entries.
const (
	minChunk = 64
	maxChunk = 1 << 16
)

func (c *column[T]) add(v T) {
	if len(c.cur) == cap(c.cur) {
		c.next()
	}
	c.cur = append(c.cur, v)
}

func (c *column[T]) next() {
	size := minChunk
	if c.cur != nil {
		c.full = append(c.full, c.cur)
		size = min(2*cap(c.cur), maxChunk)
	}
	c.cur = make([]T, 0, size)
}

// pieces returns the entries as consecutive pieces (none when there are
// no entries), and empties the column.
func (c *column[T]) pieces() [][]T {
	ps := c.full
	if len(c.cur) > 0 {
		ps = append(ps, c.cur)
	}
	*c = column[T]{}
	return ps
}

// join returns pieces as one slice, nil when they hold nothing.
func join[T any](ps [][]T) []T {
	n := 0
	for _, p := range ps {
		n += len(p)
	}
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}
