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

// behinder is the search index's count of changes it has not read in time.
type behinder interface {
	Behind(ctx context.Context) (int, error)
}

// migrationChecker says whether migrations are pending.
type migrationChecker interface {
	CheckMigrated(ctx context.Context) error
}

// ready answers 200 when the server can serve: the database answers, every
// migration is applied and the search index is current (no change older
// than a second unread); else 503 saying which is not.
func ready(db *sql.DB, m migrationChecker, idx any) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
		defer cancel()
		out := map[string]string{"database": "ok", "migrations": "ok", "index": "ok"}
		status := http.StatusOK
		if err := db.PingContext(ctx); err != nil {
			out["database"], status = "unreachable", http.StatusServiceUnavailable
		} else if err := m.CheckMigrated(ctx); err != nil {
			out["migrations"], status = "pending", http.StatusServiceUnavailable
		}
		if b, ok := idx.(behinder); !ok {
			out["index"] = "none"
		} else if bl, ok := idx.(interface{ Building() (int, bool) }); ok && building(bl) {
			out["index"] = "building" // pages are served; searches say how far the build is
		} else if n, err := b.Behind(ctx); err != nil || n > 0 {
			out["index"], status = "catching up", http.StatusServiceUnavailable
		}
		if status != http.StatusOK {
			c.Response().Header().Set("Retry-After", "5")
		}
		return c.JSON(status, out)
	}
}

// building reports whether the index is being built in the background.
func building(b interface{ Building() (int, bool) }) bool {
	_, ok := b.Building()
	return ok
}
