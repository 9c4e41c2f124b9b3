package ent

// Dialect is the SQL dialect of the database the client (or a transaction's
// client) talks to, dialect.Postgres or dialect.SQLite: the one of the driver
// it was built with, known without a query. This file is written by hand;
// `go generate` leaves it alone.
func (c *Client) Dialect() string { return c.driver.Dialect() }
