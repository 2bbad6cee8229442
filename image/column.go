package image

// column is an append-only column of the payload as the walk builds it: a
// list of chunks, so that growing it never copies what it holds. A large
// world's columns hold millions of entries; growing them as slices copied
// each entry about four times over and left the copies to the collector,
// which cost a large save a third of its time and raised its peak memory.
// slice makes the column one slice of exactly its length, once, at the end.
type column[T any] struct {
	full [][]T // filled chunks, in order
	cur  []T   // the chunk being filled
	n    int   // entries in full
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
		c.n += len(c.cur)
		size = min(2*cap(c.cur), maxChunk)
	}
	c.cur = make([]T, 0, size)
}

// len returns the number of entries.
func (c *column[T]) len() int { return c.n + len(c.cur) }

// slice returns the entries as one slice (nil when there are none), and
// empties the column.
func (c *column[T]) slice() []T {
	n := c.len()
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	for _, ch := range c.full {
		out = append(out, ch...)
	}
	out = append(out, c.cur...)
	*c = column[T]{}
	return out
}
