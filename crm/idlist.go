package crm

import (
	"strconv"

	"entgo.io/ent/dialect"
)

// inIDs is the condition "col is one of ids" with the whole list as ONE
// statement argument, $n: ANY of an array on PostgreSQL, json_each on
// SQLite. A placeholder per id ($2, $3, … $5001) made a statement's cost
// grow with the square of the list on SQLite (each bound by its name) and
// had PostgreSQL parse and plan thousands of parameters.
func inIDs(col string, n int, dia string, ids []int) (string, any) {
	p := "$" + strconv.Itoa(n)
	if dia == dialect.Postgres {
		return col + " = ANY(" + p + "::bigint[])", idSet{ids: ids, dialect: dia}
	}
	return col + " IN (SELECT value FROM json_each(" + p + "))", idSet{ids: ids, dialect: dia}
}
