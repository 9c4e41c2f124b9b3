package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// DefaultRequestTimeout bounds how long one request may work. Downloads
// stream for as long as the client reads and are bounded per statement
// instead (the database's statement timeout).
const DefaultRequestTimeout = 30 * time.Second

// requestDeadline gives every request's context a deadline: a statement
// still running when it passes is cancelled and the funnel answers 503.
func requestDeadline(d time.Duration) echo.MiddlewareFunc {
	if d <= 0 {
		d = DefaultRequestTimeout
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if streams(c.Request().URL.Path) {
				return next(c)
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

// streams reports whether path is a download that streams its body.
func streams(path string) bool {
	return strings.HasSuffix(path, "/download") || strings.HasSuffix(path, "/rejected.csv")
}
