package app

import (
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseFlagsDefaults(t *testing.T) {
	c, err := ParseFlags("t", nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:4566" || c.Data != "./.gatehouse" || c.DB != "" || c.Region != "us-east-1" ||
		c.AccountID != "000000000000" || c.Auth != "open" || !c.DevEndpoints {
		t.Fatalf("defaults = %+v", c)
	}
	if got := c.publicURL(); got != "http://localhost:4566" {
		t.Fatalf("public url = %q", got)
	}
}

func TestParseFlagsEnvAndFlags(t *testing.T) {
	env := envOf(map[string]string{"GATEHOUSE_LISTEN": "0.0.0.0:9000", "GATEHOUSE_REGION": "eu-west-1",
		"GATEHOUSE_DB": "memory", "GATEHOUSE_PUBLIC_URL": "https://id.example.com/"})
	c, err := ParseFlags("t", []string{"--region", "ap-south-1"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "0.0.0.0:9000" || c.Region != "ap-south-1" || c.DB != "memory" || c.publicURL() != "https://id.example.com" {
		t.Fatalf("config = %+v", c)
	}
}

func TestParseFlagsSigV4(t *testing.T) {
	_, err := ParseFlags("t", []string{"--auth", "sigv4"}, envOf(nil))
	if err == nil || !strings.Contains(err.Error(), "--access-keys") {
		t.Fatalf("sigv4 without keys: %v", err)
	}
	c, err := ParseFlags("t", []string{"--auth", "sigv4", "--access-keys", "AKID:SECRET"}, envOf(nil))
	if err != nil || c.DevEndpoints {
		t.Fatalf("sigv4: dev endpoints %v, err %v", c.DevEndpoints, err)
	}
	c, err = ParseFlags("t", []string{"--auth", "sigv4", "--access-keys", "AKID:SECRET", "--dev-endpoints=true"}, envOf(nil))
	if err != nil || !c.DevEndpoints {
		t.Fatalf("sigv4 with dev endpoints forced: %v %v", c.DevEndpoints, err)
	}
}

func TestParseFlagsInvalid(t *testing.T) {
	for _, args := range [][]string{
		{"--listen", "nonsense"},
		{"--auth", "basic"},
		{"--account-id", "12"},
		{"--region", "us east"},
		{"--db", "mysql://x"},
		{"--dev-endpoints", "maybe"},
		{"extra"},
	} {
		if _, err := ParseFlags("t", args, envOf(nil)); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
