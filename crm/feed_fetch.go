package crm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Limits of reading a feed.
const (
	FeedTimeout   = 15 * time.Second
	FeedMaxBytes  = 5 << 20
	FeedRedirects = 5
)

// FeedResponse is what a conditional GET of a feed brought.
type FeedResponse struct {
	NotModified        bool
	Body               []byte
	ETag, LastModified string
	RetryAfter         time.Duration // a 429's or 503's wish, 0 when none
}

// FeedFetcher requests a feed with the validators of the last answer.
type FeedFetcher func(ctx context.Context, url, etag, lastModified string) (FeedResponse, error)

// FeedError is a feed's failure in words an admin can read (never the
// remote server's text); Retry is the wait it asked for.
type FeedError struct {
	Message string
	Retry   time.Duration
}

func (e *FeedError) Error() string { return e.Message }

// NewFeedFetcher returns a fetcher on the safe client (the same private
// address rule as the coverage reader) that reads at most FeedMaxBytes
// within timeout (0: FeedTimeout) and follows at most FeedRedirects redirects.
func NewFeedFetcher(allowPrivate bool, timeout time.Duration) FeedFetcher {
	if timeout <= 0 {
		timeout = FeedTimeout
	}
	client := safeClient(allowPrivate, timeout, FeedRedirects, 64)
	return func(ctx context.Context, url, etag, lastModified string) (FeedResponse, error) {
		if _, err := NormalizeURL(url); err != nil {
			return FeedResponse{}, &FeedError{Message: "The feed address is not a web address."}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return FeedResponse{}, &FeedError{Message: "The feed address is not a web address."}
		}
		req.Header.Set("User-Agent", "Rapport feed reader")
		req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if lastModified != "" {
			req.Header.Set("If-Modified-Since", lastModified)
		}
		resp, err := client.Do(req)
		if err != nil {
			return FeedResponse{}, fetchError(err)
		}
		defer resp.Body.Close()
		out := FeedResponse{ETag: Truncate(resp.Header.Get("ETag"), 500), LastModified: Truncate(resp.Header.Get("Last-Modified"), 100)}
		switch {
		case resp.StatusCode == http.StatusNotModified:
			out.NotModified = true
			return out, nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			return out, &FeedError{Message: fmt.Sprintf("The server asked us to wait (status %d).", resp.StatusCode),
				Retry: min(time.Duration(max(secs, 0))*time.Second, 24*time.Hour)}
		case resp.StatusCode != http.StatusOK:
			return out, &FeedError{Message: fmt.Sprintf("The server answered with status %d.", resp.StatusCode)}
		}
		out.Body, err = io.ReadAll(io.LimitReader(resp.Body, FeedMaxBytes+1))
		if err != nil {
			return out, fetchError(err)
		}
		if len(out.Body) > FeedMaxBytes {
			return FeedResponse{}, &FeedError{Message: fmt.Sprintf("The feed is larger than %d MB.", FeedMaxBytes>>20)}
		}
		return out, nil
	}
}

// fetchError turns a client error into words (the refused address, a
// redirect loop, a timeout) without the remote's details.
func fetchError(err error) error {
	switch {
	case errors.Is(err, ErrPrivateAddress):
		return &FeedError{Message: "The feed is on a private network address, which this server does not request."}
	case errors.Is(err, errTooManyRedirects):
		return &FeedError{Message: fmt.Sprintf("The feed redirects more than %d times.", FeedRedirects)}
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return &FeedError{Message: "The feed's server did not answer in time."}
	}
	return &FeedError{Message: "The feed's server could not be reached."}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
