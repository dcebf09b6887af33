package openapi

import (
	"fmt"
	"strings"
	"testing"
)

// bigDoc is a definition of n routes, close to the 6 MB limit for n = 20000.
func bigDoc(n int, yaml bool) []byte {
	var b strings.Builder
	if yaml {
		b.WriteString("openapi: 3.0.1\ninfo: {title: big, version: '1'}\npaths:\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  /r%d/{id}:\n    get:\n      security: [{a: []}]\n      x-amazon-apigateway-integration: {type: aws_proxy, uri: 'arn:aws:lambda:us-east-1:123456789012:function:f%d', payloadFormatVersion: '2.0'}\n", i, i)
		}
		return []byte(b.String())
	}
	b.WriteString(`{"openapi": "3.0.1", "info": {"title": "big", "version": "1"}, "paths": {`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"/r%d/{id}": {"get": {"security": [{"a": []}], "x-amazon-apigateway-integration": {"type": "aws_proxy", "uri": "arn:aws:lambda:us-east-1:123456789012:function:f%d", "payloadFormatVersion": "2.0"}}}`, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

func BenchmarkImport(b *testing.B) {
	for _, format := range []string{"json", "yaml"} {
		body := bigDoc(20000, format == "yaml")
		b.Run(fmt.Sprintf("%s-%dKB", format, len(body)/1024), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, _, err := Import(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkExport(b *testing.B) {
	def, _, err := Import(bigDoc(2000, false))
	if err != nil {
		b.Fatal(err)
	}
	for _, ot := range []string{"JSON", "YAML"} {
		b.Run(ot, func(b *testing.B) {
			for b.Loop() {
				if _, err := Export(def, ExportOptions{OutputType: ot}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
