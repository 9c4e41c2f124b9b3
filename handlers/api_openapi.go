package handlers

import (
	_ "embed"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/views/pages"
)

// openAPIDoc describes the JSON API. TestOpenAPIMatchesRoutes checks that it
// names exactly the API routes, and TestOpenAPIResponses validates real
// answers of every operation against it, so it cannot drift.
//
//go:embed openapi.json
var openAPIDoc []byte

// OpenAPIDocument returns the API's OpenAPI 3.1 document.
func OpenAPIDocument() []byte { return openAPIDoc }

// OpenAPI serves the document.
func OpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}

// APIReference is the human-readable reference, made from the document.
func APIReference(c echo.Context) error {
	ops, desc, err := apiOperations()
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.APIDocs(pages.APIDocsProps{Meta: meta(c, "API reference"), Description: desc, Operations: ops}))
}

type oaDoc struct {
	Info  struct{ Description string }
	Paths map[string]map[string]json.RawMessage
}

type oaOp struct {
	Summary    string
	Parameters []struct {
		Ref  string `json:"$ref"`
		Name string
		In   string
	}
	RequestBody *struct {
		Content map[string]struct {
			Schema struct {
				Ref string `json:"$ref"`
			}
		}
	}
	Responses map[string]json.RawMessage
}

// apiOperations lists the document's operations in path order.
func apiOperations() ([]pages.APIOperation, string, error) {
	var d oaDoc
	if err := json.Unmarshal(openAPIDoc, &d); err != nil {
		return nil, "", err
	}
	var out []pages.APIOperation
	for path, item := range d.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var o oaOp
			if err := json.Unmarshal(raw, &o); err != nil {
				return nil, "", err
			}
			op := pages.APIOperation{Method: strings.ToUpper(method), Path: path, Summary: o.Summary}
			for _, p := range o.Parameters {
				name := p.Name
				if name == "" {
					name = p.Ref[strings.LastIndex(p.Ref, "/")+1:]
				}
				op.Parameters = append(op.Parameters, name)
			}
			if o.RequestBody != nil {
				for _, m := range o.RequestBody.Content {
					op.Body = m.Schema.Ref[strings.LastIndex(m.Schema.Ref, "/")+1:]
				}
			}
			for code := range o.Responses {
				op.Responses = append(op.Responses, code)
			}
			sort.Strings(op.Responses)
			out = append(out, op)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out, d.Info.Description, nil
}
