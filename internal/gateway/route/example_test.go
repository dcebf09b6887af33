package route_test

import (
	"fmt"

	"github.com/gatehouse-dev/gatehouse/internal/gateway/route"
)

// The routing of the developer guide's example, behind a named stage.
func Example() {
	var entries []route.Entry[string]
	for i, s := range []string{"GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default"} {
		k, err := route.Parse(s)
		if err != nil {
			panic(err)
		}
		entries = append(entries, route.Entry[string]{Key: k, Value: fmt.Sprintf("route%d", i)})
	}
	table, err := route.NewTable(entries)
	if err != nil {
		panic(err)
	}
	for _, req := range []struct{ method, path string }{
		{"GET", "/dev/pets/dog/1"}, {"GET", "/dev/pets/dog/2"}, {"GET", "/dev/pets/cat/1"}, {"POST", "/dev/test/5"}, {"GET", "/dev"},
	} {
		stage, rest, ok := route.SelectStage(req.path, []string{"dev"})
		if !ok {
			fmt.Println("404")
			continue
		}
		m, _ := table.Match(req.method, rest)
		fmt.Println(stage, m.Entry.Value, m.Entry.Key, m.Params.Map())
	}
	_, err = route.Parse("GET /pets/")
	fmt.Println(err)
	// Output:
	// dev route0 GET /pets/dog/1 map[]
	// dev route1 GET /pets/dog/{id} map[id:2]
	// dev route2 GET /pets/{proxy+} map[proxy:cat/1]
	// dev route3 ANY /{proxy+} map[proxy:test/5]
	// dev route4 $default map[]
	// BadRequestException: One or more path parts appear to be invalid. Parts are validated against this regular expression: ^(\{[\w.:-]+\+?\}|[a-zA-Z0-9.:_-]+)$
}
