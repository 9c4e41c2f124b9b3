package export

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/rapport-crm/rapport/graph"
)

// CustomPrefix starts the key of a custom field's column: "custom.KEY".
const CustomPrefix = "custom."

var customKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// customColumn is the column of custom field key, headed header (its key
// when empty): the value as one line, a multi-choice's values joined by "; ".
func customColumn(key, header string) Column {
	field := strings.TrimPrefix(key, CustomPrefix)
	if header == "" {
		header = field
	}
	return Column{Key: key, Header: header, needs: graph.Custom, appendTo: func(dst []byte, r *Row, _ string) []byte {
		return appendCustom(dst, r.Custom[field])
	}}
}

func appendCustom(dst []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return append(dst, x...)
	case float64:
		return strconv.AppendFloat(dst, x, 'f', -1, 64)
	case bool:
		if x {
			return append(dst, "yes"...)
		}
		return append(dst, "no"...)
	case []any:
		for i, e := range x {
			if i > 0 {
				dst = append(dst, "; "...)
			}
			dst = appendCustom(dst, e)
		}
	}
	return dst
}
