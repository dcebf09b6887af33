package awsmodel

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSlowCorpus(t *testing.T) {
	dir := os.Getenv("CORPUS")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	type r struct {
		d    time.Duration
		name string
		n    int
	}
	var rs []r
	for _, f := range files {
		data, _ := os.ReadFile(f)
		lines := strings.SplitN(string(data), "\n", 4)
		tgt, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(lines[1], "byte("), ")"))
		body, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
		if err != nil {
			t.Log(f, err)
			continue
		}
		tg := fuzzTargets[tgt%len(fuzzTargets)]
		start := time.Now()
		MustLoad(tg.service).ValidateJSON(tg.op, []byte(body), "X")
		rs = append(rs, r{time.Since(start), f, len(body)})
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].d > rs[j].d })
	for _, x := range rs[:5] {
		t.Log(x.d, x.n, x.name)
	}
}
