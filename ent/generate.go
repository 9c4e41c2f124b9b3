// Package ent holds Rapport's data model: the schema in ./schema, the code that
// `go generate` writes from it, and the versioned migrations in ./migrate.
package ent

//go:generate go tool ent generate --feature sql/versioned-migration,sql/upsert,sql/modifier,sql/execquery,intercept ./schema
