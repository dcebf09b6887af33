package conformance

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gatehouse-dev/gatehouse/internal/storage"
)

func testConcurrentCounter(t *testing.T, s storage.Store) {
	const workers, increments = 8, 25
	load(t, s, model{"counter": []byte("0")})
	var calls atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			<-start
			for range increments {
				err := s.Update(t.Context(), func(tx storage.Tx) error {
					calls.Add(1)
					v, err := tx.Get("counter")
					if err != nil {
						return err
					}
					n, err := strconv.Atoi(string(v))
					if err != nil {
						return err
					}
					return tx.Put("counter", []byte(strconv.Itoa(n+1)))
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	wantValue(t, s, "counter", []byte(strconv.Itoa(workers*increments)))
	t.Logf("%d increments took %d calls of fn", workers*increments, calls.Load())
}

func testInsertIfAbsentRace(t *testing.T, s storage.Store) {
	const workers, rounds = 8, 4
	for _, variant := range []string{"GetInsert", "GetPut", "BlindInsert"} {
		t.Run(variant, func(t *testing.T) {
			for round := range rounds {
				key := fmt.Sprintf("race/%s/%d", variant, round)
				won := make([]bool, workers)
				start := make(chan struct{})
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() {
						<-start
						me := []byte(strconv.Itoa(w))
						err := s.Update(t.Context(), func(tx storage.Tx) error {
							won[w] = false // fn may run more than once
							if variant != "BlindInsert" {
								_, err := tx.Get(key)
								if err == nil {
									return nil // somebody else won
								}
								if !errors.Is(err, storage.ErrNotFound) {
									return err
								}
							}
							var err error
							if variant == "GetPut" {
								err = tx.Put(key, me)
							} else {
								err = tx.Insert(key, me)
							}
							if err != nil {
								return err
							}
							won[w] = true
							return nil
						})
						if err != nil && !(variant == "BlindInsert" && errors.Is(err, storage.ErrAlreadyExists)) {
							t.Errorf("worker %d: Update: %v", w, err)
						}
					})
				}
				close(start)
				wg.Wait()
				winners := 0
				winner := -1
				for w, ok := range won {
					if ok {
						winners++
						winner = w
					}
				}
				if winners != 1 {
					t.Fatalf("round %d: %d workers inserted %q, want exactly 1", round, winners, key)
				}
				wantValue(t, s, key, []byte(strconv.Itoa(winner)))
			}
		})
	}
}

func testConsistentSnapshots(t *testing.T, s storage.Store) {
	const (
		accounts = 4
		balance  = 100
		total    = accounts * balance
		writers  = 4
		readers  = 4
		ops      = 25
	)
	keys := make([]string, accounts)
	m := model{}
	for i := range keys {
		keys[i] = fmt.Sprintf("acct/%d", i)
		m[keys[i]] = []byte(strconv.Itoa(balance))
	}
	load(t, s, m)
	balanceOf := func(v []byte) int {
		n, err := strconv.Atoi(string(v))
		if err != nil {
			t.Errorf("balance %q: %v", v, err)
		}
		return n
	}
	var calls atomic.Int64
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			<-start
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			for range ops {
				from, to := rng.IntN(accounts), rng.IntN(accounts-1)
				if to >= from {
					to++
				}
				amount := 1 + rng.IntN(10)
				err := s.Update(t.Context(), func(tx storage.Tx) error {
					calls.Add(1)
					a, err := tx.Get(keys[from])
					if err != nil {
						return err
					}
					b, err := tx.Get(keys[to])
					if err != nil {
						return err
					}
					// Write in key order: opposite orders would deadlock on PostgreSQL's row
					// locks, which it only detects after deadlock_timeout (1s by default).
					writes := []storage.KV{
						{Key: keys[from], Value: []byte(strconv.Itoa(balanceOf(a) - amount))},
						{Key: keys[to], Value: []byte(strconv.Itoa(balanceOf(b) + amount))},
					}
					if from > to {
						writes[0], writes[1] = writes[1], writes[0]
					}
					for _, w := range writes {
						if err := tx.Put(w.Key, w.Value); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Errorf("transfer: %v", err)
					return
				}
			}
		})
	}
	for range readers {
		wg.Go(func() {
			<-start
			for range ops {
				err := s.View(t.Context(), func(tx storage.Tx) error {
					sum := 0
					for _, k := range keys {
						v, err := tx.Get(k)
						if err != nil {
							return err
						}
						sum += balanceOf(v)
					}
					kvs, err := tx.Scan("acct/", "", 0)
					if err != nil {
						return err
					}
					scanSum := 0
					for _, kv := range kvs {
						scanSum += balanceOf(kv.Value)
					}
					if sum != total || scanSum != total {
						t.Errorf("View saw balances summing to %d (Get) and %d (Scan), want %d", sum, scanSum, total)
					}
					return nil
				})
				if err != nil {
					t.Errorf("View: %v", err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	t.Logf("%d transfers took %d calls of fn", writers*ops, calls.Load())
}
