package route

import (
	"fmt"
	"testing"
)

// benchKeys returns about 200 route keys shaped like a real API: 20 resources, each with
// collection and item routes, a nested sub-collection and a greedy catch-all, plus $default.
func benchKeys() []string {
	keys := []string{"ANY /{proxy+}", "$default", "GET /"}
	for r := range 20 {
		res := fmt.Sprintf("/v1/resource%02d", r)
		keys = append(keys,
			"GET "+res, "POST "+res,
			"GET "+res+"/{id}", "PUT "+res+"/{id}", "PATCH "+res+"/{id}", "DELETE "+res+"/{id}",
			"GET "+res+"/{id}/items", "POST "+res+"/{id}/items",
			"GET "+res+"/{id}/items/{item}",
			"ANY "+res+"/{id}/files/{path+}",
		)
	}
	return keys
}

func BenchmarkMatch(b *testing.B) {
	keys := benchKeys()
	tab, _ := tableOf(b, keys...)
	for _, bc := range []struct{ name, method, path string }{
		{"static", "GET", "/v1/resource13"},
		{"variable", "DELETE", "/v1/resource13/abc123"},
		{"two-variables", "GET", "/v1/resource19/abc123/items/42"},
		{"greedy", "GET", "/v1/resource07/abc/files/a/b/c.txt"},
		{"root-greedy", "POST", "/unknown/path/here"},
		{"default", "GET", "/"},
		{"escaped", "GET", "/v1/resource13/a%20b"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if _, ok := tab.Match(bc.method, bc.path); !ok {
				b.Fatalf("%s %s does not match", bc.method, bc.path)
			}
			b.ReportAllocs()
			for b.Loop() {
				tab.Match(bc.method, bc.path)
			}
		})
	}
	b.Logf("%d routes", tab.Len())
}

func BenchmarkNewTable(b *testing.B) {
	es := entriesOf(b, benchKeys()...)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewTable(es); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSelectStage(b *testing.B) {
	stages := []string{"$default", "dev", "staging", "prod"}
	b.ReportAllocs()
	for b.Loop() {
		SelectStage("/prod/v1/resource13/abc", stages)
	}
}
