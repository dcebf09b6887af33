package route

import "testing"

func TestSelectStage(t *testing.T) {
	both := []string{"$default", "dev", "prod"}
	named := []string{"dev", "prod"}
	for _, tc := range []struct {
		path   string
		stages []string
		stage  string
		rest   string
		ok     bool
	}{
		{"/dev/pets", both, "dev", "/pets", true},
		{"/dev/pets/", both, "dev", "/pets/", true},
		{"/dev", both, "dev", "/", true},
		{"/dev/", both, "dev", "/", true},
		{"/dev//x", both, "dev", "//x", true},
		{"/prod/a/b?c", both, "prod", "/a/b?c", true},
		{"/development/x", both, "$default", "/development/x", true},
		{"/Dev/x", both, "$default", "/Dev/x", true}, // stage names are case-sensitive
		{"/pets", both, "$default", "/pets", true},
		{"/", both, "$default", "/", true},
		{"", both, "$default", "/", true},
		{"//dev", both, "$default", "//dev", true},
		{"/$default/x", both, "$default", "/$default/x", true}, // $default is not a path prefix
		{"/%24default/x", both, "$default", "/%24default/x", true},
		{"/d%65v/x", both, "dev", "/x", true},
		{"/dev/pets", named, "dev", "/pets", true},
		{"/pets", named, "", "", false},
		{"/", named, "", "", false},
		{"/$default", []string{"$default"}, "$default", "/$default", true},
		{"/dev", nil, "", "", false},
		{"dev", both, "$default", "dev", true},
	} {
		stage, rest, ok := SelectStage(tc.path, tc.stages)
		if stage != tc.stage || rest != tc.rest || ok != tc.ok {
			t.Errorf("SelectStage(%q, %q) = %q, %q, %v; want %q, %q, %v",
				tc.path, tc.stages, stage, rest, ok, tc.stage, tc.rest, tc.ok)
		}
	}
}

// Stage selection then route selection, as the data plane does it.
func TestStageThenRoute(t *testing.T) {
	tab, _ := tableOf(t, "GET /", "GET /pets/{id}")
	for _, tc := range []struct{ path, want string }{
		{"/dev", "GET /"},
		{"/dev/", "GET /"},
		{"/dev/pets/7", "GET /pets/{id}"},
	} {
		_, rest, ok := SelectStage(tc.path, []string{"dev"})
		if !ok {
			t.Fatalf("no stage for %q", tc.path)
		}
		m, ok := tab.Match("GET", rest)
		if !ok || m.Entry.Key.String() != tc.want {
			t.Errorf("GET %q: %q, %v; want %q", tc.path, m.Entry.Key, ok, tc.want)
		}
	}
}
