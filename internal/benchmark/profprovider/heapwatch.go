package main

import (
	"fmt"
	"os"
	"runtime/metrics"
	"time"
)

// watchHeap samples the heap every 10 ms and writes a line to path ("ms,
// heap MB, collections so far") whenever it moved 2 MB from the last line:
// a timeline that shows whether the heap's floor climbs during a command
// (memory kept) or only its peaks (garbage between collections).
func watchHeap(path string, done <-chan struct{}) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	start := time.Now()
	var last uint64
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
		}
		metrics.Read(s)
		h := s[0].Value.Uint64()
		if h > last+2<<20 || h+2<<20 < last {
			fmt.Fprintf(f, "%6d ms heap %5.1f MB gc %d\n", time.Since(start).Milliseconds(), float64(h)/(1<<20), s[1].Value.Uint64())
			last = h
		}
	}
}
