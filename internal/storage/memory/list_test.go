package memory

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestListMatchesMap drives a list through random sets and deletes, enough to split and empty
// many chunks, and checks it against a map after every step.
func TestListMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var l list[int]
	ref := map[string]int{}
	const space = 5000
	for step := range 40000 {
		k := fmt.Sprintf("%04d", rng.IntN(space))
		if rng.IntN(3) == 0 {
			_, had := ref[k]
			if got := l.delete(k); got != had {
				t.Fatalf("step %d: delete(%q) = %v, want %v", step, k, got, had)
			}
			delete(ref, k)
		} else {
			l.set(k, step)
			ref[k] = step
		}
		if step%997 == 0 || step > 39950 {
			checkList(t, &l, ref)
		}
	}
	// Delete everything in random order, emptying every chunk.
	keys := make([]string, 0, len(ref))
	for k := range ref {
		keys = append(keys, k)
	}
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	for _, k := range keys {
		if !l.delete(k) {
			t.Fatalf("delete(%q) = false", k)
		}
		delete(ref, k)
	}
	checkList(t, &l, ref)
	if len(l.chunks) != 0 {
		t.Errorf("%d chunks left in an empty list", len(l.chunks))
	}
}

func checkList(t *testing.T, l *list[int], ref map[string]int) {
	t.Helper()
	if l.len() != len(ref) {
		t.Fatalf("len = %d, want %d", l.len(), len(ref))
	}
	want := make([]string, 0, len(ref))
	for k := range ref {
		want = append(want, k)
	}
	slices.Sort(want)
	var got []string
	for p := l.seek(""); l.valid(p); p = l.next(p) {
		e := l.at(p)
		got = append(got, e.key)
		if e.val != ref[e.key] {
			t.Fatalf("value of %q = %d, want %d", e.key, e.val, ref[e.key])
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("keys differ: got %d, want %d", len(got), len(want))
	}
	for _, ch := range l.chunks {
		if len(ch) == 0 || len(ch) > maxChunk {
			t.Fatalf("chunk of %d entries", len(ch))
		}
	}
	for _, k := range []string{"", "0500", "2500x", "9999"} {
		i, _ := slices.BinarySearch(want, k)
		p := l.seek(k)
		if i == len(want) {
			if l.valid(p) {
				t.Fatalf("seek(%q) found %q, want end", k, l.at(p).key)
			}
		} else if !l.valid(p) || l.at(p).key != want[i] {
			t.Fatalf("seek(%q) wrong, want %q", k, want[i])
		}
		if v, ok := l.get(k); ok != (i < len(want) && want[i] == k) || (ok && v != ref[k]) {
			t.Fatalf("get(%q) = %d, %v", k, v, ok)
		}
	}
}
