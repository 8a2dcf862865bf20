package checksum

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// The check values of the CRC catalogue (reveng.sourceforge.io/crc-catalogue):
// each algorithm's sum of the ASCII bytes "123456789".
func TestChecksumCatalogueCheckValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		want uint32
	}{
		{"crc16-modbus", 0x4B37},
		{"crc16-ccitt", 0x29B1}, // CRC-16/IBM-3740, a.k.a. CCITT-FALSE
		{"crc16-xmodem", 0x31C3},
		{"crc32", 0xCBF43926},
		{"xor", 0x31},
		{"sum8", 0xDD},
	} {
		c, _, err := Lookup(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Sum([]byte("123456789")); got != tc.want {
			t.Errorf("%s(123456789) = %#x, want %#x", tc.name, got, tc.want)
		}
		if c.CheckValue() != tc.want {
			t.Errorf("%s: registry check value %#x, catalogue %#x", tc.name, c.CheckValue(), tc.want)
		}
	}
}

func TestChecksumAppendByteOrder(t *testing.T) {
	nine := []byte("123456789")
	for _, tc := range []struct {
		spec, wantTail string
	}{
		{"crc16-modbus", "374b"}, // MODBUS puts the low byte first
		{"crc16-modbus:be", "4b37"},
		{"crc16-ccitt", "29b1"},
		{"crc16-ccitt:le", "b129"},
		{"crc32", "cbf43926"},
		{"crc32:little", "2639f4cb"},
		{"xor:le", "31"},
		{"sum8", "dd"},
	} {
		c, order, err := Lookup(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		got := c.Append(append([]byte(nil), nine...), order)
		if !bytes.Equal(got[:9], nine) || hex.EncodeToString(got[9:]) != tc.wantTail {
			t.Errorf("%s: appended %x, want 313233343536373839%s", tc.spec, got, tc.wantTail)
		}
		if r := c.Verify(got, order); !r.OK || r.String() != c.Name()+" ok" {
			t.Errorf("%s: verify of its own output: %+v (%s)", tc.spec, r, r)
		}
	}
}

// A real MODBUS RTU request (read 10 holding registers from slave 1) as it appears
// on the wire in the protocol's documentation: 01 03 00 00 00 0A C5 CD.
func TestChecksumModbusFrame(t *testing.T) {
	c, order, _ := Lookup("modbus")
	frame, _ := hex.DecodeString("01030000000a")
	if got := hex.EncodeToString(c.Append(frame, order)); got != "01030000000ac5cd" {
		t.Errorf("modbus frame = %s, want 01030000000ac5cd", got)
	}
}

func TestChecksumVerifyBad(t *testing.T) {
	c, _, _ := Lookup("crc16-modbus")
	msg := c.Append([]byte("123456789"), OrderDefault)
	msg[0] = '0' // the body changes; the carried sum does not
	r := c.Verify(msg, OrderDefault)
	if r.OK || r.Got != 0x4B37 || r.Want == 0x4B37 {
		t.Fatalf("verify of a damaged message: %+v", r)
	}
	if s := r.String(); !strings.HasPrefix(s, "crc16-modbus BAD (got 0x4B37, want 0x") {
		t.Errorf("BAD verdict reads %q", s)
	}
	// Read in the wrong order, the right bytes are a wrong sum.
	good := c.Append([]byte("123456789"), OrderDefault)
	if r := c.Verify(good, OrderBig); r.OK || r.Got != 0x374B {
		t.Errorf("verify in the wrong order: %+v", r)
	}
	if r := c.Verify([]byte{1}, OrderDefault); r.OK || !r.Short || !strings.Contains(r.String(), "shorter than 2 bytes") {
		t.Errorf("verify of a 1-byte message: %+v %s", r, r)
	}
}

func TestChecksumAppendReusesBuffer(t *testing.T) {
	c, _, _ := Lookup("crc32")
	buf := make([]byte, 0, 64)
	msg := []byte("hello")
	allocs := testing.AllocsPerRun(100, func() {
		b := append(buf[:0], msg...)
		_ = c.Append(b, OrderDefault)
	})
	if allocs != 0 {
		t.Errorf("Append into a buffer with room allocates %v times", allocs)
	}
}

func TestLookupChecksumErrors(t *testing.T) {
	_, _, err := Lookup("crc8")
	var ue *UnknownError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "crc16-modbus, crc16-ccitt, crc16-xmodem, crc32, xor, sum8") {
		t.Errorf("unknown name: %v", err)
	}
	if _, _, err := Lookup("crc32:middle"); err == nil || !strings.Contains(err.Error(), "byte order") {
		t.Errorf("bad order suffix: %v", err)
	}
	if c, o, err := Lookup(" CRC-16/MODBUS:LE "); err != nil || c.Name() != "crc16-modbus" || o != OrderLittle {
		t.Errorf("catalogue name with order: %v %v %v", c, o, err)
	}
}

func BenchmarkChecksumAppend(b *testing.B) {
	for _, c := range All() {
		b.Run(c.Name(), func(b *testing.B) {
			msg := bytes.Repeat([]byte("x"), 1024)
			buf := make([]byte, 0, len(msg)+4)
			b.SetBytes(int64(len(msg)))
			b.ReportAllocs()
			for b.Loop() {
				_ = c.Append(append(buf[:0], msg...), OrderDefault)
			}
		})
	}
}
