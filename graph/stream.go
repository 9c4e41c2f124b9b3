package graph

import (
	"context"
	"database/sql"
)

// batchSize is how many rows a query hands to the merge at a time; each
// query keeps at most batchesInFlight batches ahead of it, which bounds the
// memory of a load whatever its size.
const (
	batchSize       = 512
	batchesInFlight = 4
)

// item is a value of a table with the position of its contact among the
// members (in a load of every contact, the contact's id).
type item[T any] struct {
	ord int
	v   T
}

// stream is one query's rows, ordered by position, passed in batches from
// the goroutine reading them to the one merging them.
type stream[T any] struct {
	batches chan []item[T]
	free    chan []item[T]
	cur     []item[T]
	next    int
	scratch []T
}

func newStream[T any]() *stream[T] {
	return &stream[T]{batches: make(chan []item[T], batchesInFlight), free: make(chan []item[T], batchesInFlight+1)}
}

// produce hands the rows of rs to s in batches until they or ctx end.
func produce[T any](ctx context.Context, s *stream[T], rs *sql.Rows, scan func(rs *sql.Rows, ord *int, v *T) error) error {
	b := make([]item[T], 0, batchSize)
	send := func() error {
		select {
		case s.batches <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case b = <-s.free:
			b = b[:0]
		default:
			b = make([]item[T], 0, batchSize)
		}
		return nil
	}
	for rs.Next() {
		b = append(b, item[T]{})
		it := &b[len(b)-1]
		if err := scan(rs, &it.ord, &it.v); err != nil {
			return err
		}
		if len(b) == batchSize {
			if err := send(); err != nil {
				return err
			}
		}
	}
	if err := rs.Err(); err != nil {
		return err
	}
	if len(b) > 0 {
		return send()
	}
	return nil
}

// head returns the next item without consuming it; false at the end.
func (s *stream[T]) head() (*item[T], bool) {
	for s.next >= len(s.cur) {
		if s.cur != nil {
			clear(s.cur) // drop the strings the batch holds
			select {
			case s.free <- s.cur:
			default:
			}
			s.cur = nil
		}
		b, ok := <-s.batches
		if !ok {
			return nil, false
		}
		s.cur, s.next = b, 0
	}
	return &s.cur[s.next], true
}

// take returns the values at position ord, skipping those of earlier
// positions (contacts deleted meanwhile, or added after the contacts query
// read its rows). The slice is reused by the next call.
func (s *stream[T]) take(ord int) []T {
	s.scratch = s.scratch[:0]
	for {
		it, ok := s.head()
		if !ok || it.ord > ord {
			break
		}
		if it.ord == ord {
			s.scratch = append(s.scratch, it.v)
		}
		s.next++
	}
	if len(s.scratch) == 0 {
		return nil
	}
	return s.scratch[:len(s.scratch):len(s.scratch)]
}

// drain consumes what is left, so the producer can finish.
func (s *stream[T]) drain() {
	for range s.batches {
	}
}

// end marks the stream finished: no more batches come.
func (s *stream[T]) end() { close(s.batches) }
