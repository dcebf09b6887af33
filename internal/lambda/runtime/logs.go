package runtime

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"sync"
	"syscall"
	"time"
)

const (
	// logTailSize is how much of an invocation's log Result.Log keeps (LogType=Tail).
	logTailSize = 4096
	// maxLogLine bounds one captured line; a longer one is split (CloudWatch's event limit
	// is 256 KB).
	maxLogLine = 256 * 1024
)

// tail keeps the last logTailSize bytes of lines appended to it.
type tail struct{ b []byte }

func (t *tail) add(line string) {
	t.b = append(t.b, line...)
	t.b = append(t.b, '\n')
	if len(t.b) > 4*logTailSize {
		n := copy(t.b, t.b[len(t.b)-logTailSize:])
		t.b = t.b[:n]
	}
}

func (t *tail) bytes() []byte { return t.b }

// lastBytes returns the last n bytes of b.
func lastBytes(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	return b[len(b)-n:]
}

// logPipe reads an instance's stdout and stderr (one pipe, as Lambda merges them) line by
// line. Reading is done under mu, both by the reader goroutine when the pipe becomes
// readable and by drain, so drain can guarantee that everything the process wrote before a
// point in time (say, before it posted its response) has been attributed.
type logPipe struct {
	f    *os.File
	rc   syscall.RawConn
	emit func(line string)

	mu      sync.Mutex
	partial []byte
	buf     []byte
	eof     bool
}

func newLogPipe(f *os.File, emit func(string)) (*logPipe, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	return &logPipe{f: f, rc: rc, emit: emit, buf: make([]byte, 32*1024)}, nil
}

// readLoop runs until the pipe reaches end of file or is closed.
func (p *logPipe) readLoop() {
	for {
		err := p.rc.Read(func(fd uintptr) bool {
			p.mu.Lock()
			defer p.mu.Unlock()
			return p.readOnce(fd)
		})
		p.mu.Lock()
		done := p.eof
		p.mu.Unlock()
		if err != nil || done {
			return
		}
	}
}

// readOnce reads once; it returns false when there is nothing to read yet. p.mu is held.
func (p *logPipe) readOnce(fd uintptr) bool {
	if p.eof {
		return true
	}
	n, again, err := readNonblock(fd, p.buf)
	if again {
		return false
	}
	if n > 0 {
		p.consume(p.buf[:n])
		return true
	}
	// End of file (every writer closed) or a read error.
	_ = err
	p.flushPartial()
	p.eof = true
	return true
}

// drain attributes everything the pipe holds now, including a last line without a newline.
func (p *logPipe) drain() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.rc.Control(func(fd uintptr) {
		for !p.eof {
			n, again, _ := readNonblock(fd, p.buf)
			if again {
				break
			}
			if n == 0 {
				p.flushPartial()
				p.eof = true
				break
			}
			p.consume(p.buf[:n])
		}
	})
	p.flushPartial()
}

func (p *logPipe) consume(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			p.partial = append(p.partial, b...)
			for len(p.partial) >= maxLogLine {
				p.emit(string(p.partial[:maxLogLine]))
				p.partial = append(p.partial[:0], p.partial[maxLogLine:]...)
			}
			return
		}
		line := b[:i]
		if len(p.partial) > 0 {
			p.partial = append(p.partial, line...)
			line = p.partial
		}
		for len(line) > maxLogLine {
			p.emit(string(line[:maxLogLine]))
			line = line[maxLogLine:]
		}
		p.emit(string(line))
		p.partial = p.partial[:0]
		b = b[i+1:]
	}
}

func (p *logPipe) flushPartial() {
	if len(p.partial) > 0 {
		p.emit(string(p.partial))
		p.partial = p.partial[:0]
	}
}

// close stops the reader (after a final drain).
func (p *logPipe) close() {
	p.drain()
	_ = p.f.Close()
}

// report is what the REPORT line of an invocation says.
type report struct {
	requestID    string
	duration     time.Duration
	initDuration time.Duration // 0 when the invocation did not cold-start an instance
	memoryMB     int
	maxMemoryKB  int64
	status       string // "", "timeout" or "error"
	errorType    string // with status "error"
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (r report) String() string {
	billed := int64(math.Ceil(ms(r.duration + r.initDuration)))
	if billed < 1 {
		billed = 1
	}
	usedMB := (r.maxMemoryKB + 1023) / 1024
	s := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB",
		r.requestID, ms(r.duration), billed, r.memoryMB, usedMB)
	if r.initDuration > 0 {
		s += fmt.Sprintf("\tInit Duration: %.2f ms", ms(r.initDuration))
	}
	if r.status != "" {
		s += "\tStatus: " + r.status
		if r.errorType != "" {
			s += "\tError Type: " + r.errorType
		}
	}
	return s
}

// initReport is the INIT_REPORT line Lambda writes when initialisation fails or times out.
func initReport(d time.Duration, status, errorType string) string {
	s := fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s", ms(d), status)
	if errorType != "" {
		s += "\tError Type: " + errorType
	}
	return s
}
