package handlers

import (
	"context"
	"database/sql"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// health answers 200 when the database answers a ping within two seconds, 503 otherwise.
func health(db *sql.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			c.Response().Header().Set("Retry-After", "5")
			return c.String(http.StatusServiceUnavailable, "database unavailable\n")
		}
		return c.String(http.StatusOK, "ok\n")
	}
}
