package memory

import "sort"

// maxChunk bounds the length of one chunk of the ordered list. A full chunk splits in two, so
// inserts move at most maxChunk entries plus, rarely, one slice of chunk pointers.
const maxChunk = 512

// entry is one key and its value in an ordered list.
type entry[V any] struct {
	key string
	val V
}

// list is an ordered map from string keys (compared as raw bytes) to values of type V. It keeps
// the entries in a sequence of sorted, non-empty chunks: a two-level B+tree that is simple to get
// right and fast enough for the emulator's data sizes. The zero value is an empty list. A list
// is not safe for concurrent mutation.
type list[V any] struct {
	chunks [][]entry[V]
	n      int
}

// pos is a position in a list: chunk index and index within the chunk. A position with
// c == len(chunks) is the end.
type pos struct{ c, i int }

// seek returns the position of the first entry whose key is >= key.
func (l *list[V]) seek(key string) pos {
	c := sort.Search(len(l.chunks), func(i int) bool {
		ch := l.chunks[i]
		return ch[len(ch)-1].key >= key
	})
	if c == len(l.chunks) {
		return pos{c: c}
	}
	ch := l.chunks[c]
	return pos{c: c, i: sort.Search(len(ch), func(i int) bool { return ch[i].key >= key })}
}

// valid reports whether p points at an entry.
func (l *list[V]) valid(p pos) bool { return p.c < len(l.chunks) }

// at returns the entry at a valid position.
func (l *list[V]) at(p pos) *entry[V] { return &l.chunks[p.c][p.i] }

// next returns the position after a valid position p.
func (l *list[V]) next(p pos) pos {
	p.i++
	if p.i == len(l.chunks[p.c]) {
		return pos{c: p.c + 1}
	}
	return p
}

// get returns the value stored at key.
func (l *list[V]) get(key string) (V, bool) {
	p := l.seek(key)
	if l.valid(p) {
		if e := l.at(p); e.key == key {
			return e.val, true
		}
	}
	var zero V
	return zero, false
}

// set stores val at key, replacing any previous value.
func (l *list[V]) set(key string, val V) {
	p := l.seek(key)
	if l.valid(p) && l.at(p).key == key {
		l.at(p).val = val
		return
	}
	l.n++
	if len(l.chunks) == 0 {
		l.chunks = [][]entry[V]{{{key: key, val: val}}}
		return
	}
	if p.c == len(l.chunks) { // after every key: append to the last chunk
		p = pos{c: p.c - 1, i: len(l.chunks[p.c-1])}
	}
	ch := l.chunks[p.c]
	ch = append(ch, entry[V]{})
	copy(ch[p.i+1:], ch[p.i:])
	ch[p.i] = entry[V]{key: key, val: val}
	if len(ch) <= maxChunk {
		l.chunks[p.c] = ch
		return
	}
	// Split the full chunk; the upper half gets its own backing array so that appends to the
	// lower half cannot overwrite it.
	half := len(ch) / 2
	upper := make([]entry[V], len(ch)-half, maxChunk+1)
	copy(upper, ch[half:])
	clear(ch[half:])
	l.chunks[p.c] = ch[:half]
	l.chunks = append(l.chunks, nil)
	copy(l.chunks[p.c+2:], l.chunks[p.c+1:])
	l.chunks[p.c+1] = upper
}

// delete removes key and reports whether it was present.
func (l *list[V]) delete(key string) bool {
	p := l.seek(key)
	if !l.valid(p) || l.at(p).key != key {
		return false
	}
	l.n--
	ch := l.chunks[p.c]
	copy(ch[p.i:], ch[p.i+1:])
	ch[len(ch)-1] = entry[V]{}
	ch = ch[:len(ch)-1]
	if len(ch) > 0 {
		l.chunks[p.c] = ch
		return true
	}
	copy(l.chunks[p.c:], l.chunks[p.c+1:])
	l.chunks[len(l.chunks)-1] = nil
	l.chunks = l.chunks[:len(l.chunks)-1]
	return true
}

// reset removes every entry.
func (l *list[V]) reset() { *l = list[V]{} }

// len returns the number of entries.
func (l *list[V]) len() int { return l.n }
