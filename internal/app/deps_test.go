package app

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRules enforces the layering of DESIGN.md: domain packages import neither
// net/http nor database/sql, and the binary links no cgo.
func TestDependencyRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	deps := func(env []string, pkgs ...string) map[string]bool {
		args := append([]string{"list", "-deps"}, pkgs...)
		cmd := exec.Command("go", args...)
		cmd.Env = append(cmd.Environ(), env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		m := map[string]bool{}
		for _, p := range strings.Fields(string(out)) {
			m[p] = true
		}
		return m
	}
	domain := []string{
		"github.com/gatehouse-dev/gatehouse/internal/cognito",
		"github.com/gatehouse-dev/gatehouse/internal/cognito/srp",
		"github.com/gatehouse-dev/gatehouse/internal/cognito/filter",
		"github.com/gatehouse-dev/gatehouse/internal/cognito/totp",
		"github.com/gatehouse-dev/gatehouse/internal/gateway",
		"github.com/gatehouse-dev/gatehouse/internal/gateway/route",
		"github.com/gatehouse-dev/gatehouse/internal/lambda",
		"github.com/gatehouse-dev/gatehouse/internal/lambda/spec",
	}
	for _, pkg := range domain {
		d := deps(nil, pkg)
		for _, bad := range []string{"net/http", "database/sql"} {
			if d[bad] {
				t.Errorf("%s depends on %s", pkg, bad)
			}
		}
	}
	bin := deps([]string{"CGO_ENABLED=0"}, "github.com/gatehouse-dev/gatehouse/cmd/gatehouse")
	for _, bad := range []string{"runtime/cgo", "github.com/mattn/go-sqlite3"} {
		if bin[bad] {
			t.Errorf("cmd/gatehouse depends on %s", bad)
		}
	}
}
