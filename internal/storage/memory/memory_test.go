package memory_test

import (
	"errors"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
	"github.com/gatehouse-dev/gatehouse/internal/storage/conformance"
	"github.com/gatehouse-dev/gatehouse/internal/storage/memory"
)

func newStore(t *testing.T) storage.Store {
	s := memory.New()
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	conformance.RunTests(t, newStore)
}

func TestClosed(t *testing.T) {
	s := memory.New()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	noop := func(storage.Tx) error { return nil }
	if err := s.View(t.Context(), noop); !errors.Is(err, memory.ErrClosed) {
		t.Errorf("View after Close = %v, want ErrClosed", err)
	}
	if err := s.Update(t.Context(), noop); !errors.Is(err, memory.ErrClosed) {
		t.Errorf("Update after Close = %v, want ErrClosed", err)
	}
}

func BenchmarkGet(b *testing.B) {
	conformance.BenchGet(b, memory.New())
}

func BenchmarkUpdate(b *testing.B) {
	conformance.BenchUpdate(b, memory.New())
}
