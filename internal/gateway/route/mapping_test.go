package route

import (
	"net/url"
	"strings"
	"testing"
)

func TestMappingsSelect(t *testing.T) {
	// The documented example: (none), orders, orders/v1/items, orders/v2/items and
	// orders/v2/items/categories mapped to APIs 1 to 5.
	docs := NewMappings(map[string]int{"": 1, "orders": 2, "orders/v1/items": 3, "orders/v2/items": 4, "orders/v2/items/categories": 5})
	noRoot := NewMappings(map[string]int{"v1": 1, "a/b": 2})
	for _, tc := range []struct {
		m    *Mappings[int]
		path string
		want int
		rest string
		ok   bool
	}{
		{docs, "/orders", 2, "/", true},
		{docs, "/orders/v1/items", 3, "/", true},
		{docs, "/orders/v2/items", 4, "/", true},
		{docs, "/orders/v1/items/123", 3, "/123", true},
		{docs, "/orders/v2/items/categories/5", 5, "/5", true},
		{docs, "/customers", 1, "/customers", true},
		{docs, "/orders/v1", 2, "/v1", true}, // a partial key does not match
		{docs, "/ordersx/v1", 1, "/ordersx/v1", true},
		{docs, "/orders/", 2, "/", true},
		{docs, "/orders//v1/items", 2, "//v1/items", true},
		{docs, "/Orders", 1, "/Orders", true}, // keys are case-sensitive
		{docs, "/%6Frders/v1/items/x", 3, "/x", true},
		{docs, "/orders/v1%2Fitems/x", 2, "/v1%2Fitems/x", true}, // %2F stays inside a level
		{docs, "/orders/%zz", 2, "/%zz", true},
		{docs, "", 1, "/", true},
		{docs, "/", 1, "/", true},
		{noRoot, "/v1", 1, "/", true},
		{noRoot, "/a/b/c", 2, "/c", true},
		{noRoot, "/a", 0, "", false},
		{noRoot, "/v2/x", 0, "", false},
		{noRoot, "/", 0, "", false},
		{NewMappings(map[string]int{}), "/x", 0, "", false},
	} {
		got, rest, ok := tc.m.Select(tc.path)
		if got != tc.want || rest != tc.rest || ok != tc.ok {
			t.Errorf("Select(%q) = %d, %q, %v; want %d, %q, %v", tc.path, got, rest, ok, tc.want, tc.rest, tc.ok)
		}
	}
}

func TestMappingsSelectDoesNotAllocate(t *testing.T) {
	m := NewMappings(map[string]int{"": 1, "orders": 2, "orders/v1/items": 3})
	if n := testing.AllocsPerRun(100, func() { m.Select("/orders/v1/items/123") }); n != 0 {
		t.Errorf("Select allocates %v times", n)
	}
}

// selectByKeys is Select written the slow way: every key tried against the decoded levels.
func selectByKeys(keys []string, path string) (string, string, bool) {
	if path == "" {
		path = "/"
	}
	var levels []string
	if strings.HasPrefix(path, "/") {
		levels = strings.Split(path[1:], "/")
	}
	best, n := "", -1
	for _, k := range keys {
		matched := 0
		if k != "" {
			parts := strings.Split(k, "/")
			if len(parts) > len(levels) {
				continue
			}
			for i, p := range parts {
				d, err := url.PathUnescape(levels[i])
				if err != nil {
					d = levels[i]
				}
				if d != p {
					matched = -1
					break
				}
			}
			if matched < 0 {
				continue
			}
			matched = len(parts)
		}
		if matched > n {
			best, n = k, matched
		}
	}
	switch n {
	case -1:
		return "", "", false
	case 0:
		return best, path, true
	}
	return best, "/" + strings.Join(levels[n:], "/"), true
}

func FuzzMappingsSelect(f *testing.F) {
	f.Add("orders,orders/v1/items,", "/orders/v1/items/1")
	f.Add("a/b,a", "/a/%62/c")
	f.Add("v1", "/v2")
	f.Add(",x", "")
	f.Fuzz(func(t *testing.T, keyList, path string) {
		byKey := map[string]string{}
		var keys []string
		for _, k := range strings.Split(keyList, ",") {
			if !validKey(k) {
				continue
			}
			byKey[k] = k
			keys = append(keys, k)
		}
		got, rest, ok := NewMappings(byKey).Select(path)
		want, wantRest, wantOK := selectByKeys(keys, path)
		if ok != wantOK || ok && (got != want || rest != wantRest) {
			t.Fatalf("keys %q, Select(%q) = %q, %q, %v; want %q, %q, %v", keys, path, got, rest, ok, want, wantRest, wantOK)
		}
	})
}

// validKey reports whether k is a key the control plane accepts: "" or non-empty levels
// without "%" (letters, digits and $-_.+!*'() in fact).
func validKey(k string) bool {
	if k == "" {
		return true
	}
	for _, l := range strings.Split(k, "/") {
		if l == "" || strings.ContainsAny(l, "%?#") {
			return false
		}
	}
	return true
}
