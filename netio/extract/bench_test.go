package extract

import (
	"encoding/json"
	"testing"
)

// Apply runs on every received message. Each benchmark reuses its result slice,
// as a caller that copies values out would; allocs/op is then what Apply itself
// costs. BenchmarkJSONStdlib is the baseline for the json rule: encoding/json
// decoding the same object into a map.
func benchApply(b *testing.B, spec, text string) {
	s := mustSet(b, spec)
	data := []byte(text)
	var dst []Value
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		dst = s.Apply(dst[:0], data, text)
	}
	if len(dst) == 0 {
		b.Fatal("no values")
	}
}

const benchJSON = `{"id":7,"temp":23.5,"hum":41,"pos":{"lat":31.23,"lon":121.47},"ok":true}`

func BenchmarkKV(b *testing.B)   { benchApply(b, "kv", "温度=23.5℃ 湿度=41%") }
func BenchmarkJSON(b *testing.B) { benchApply(b, "json", benchJSON) }
func BenchmarkCSV(b *testing.B)  { benchApply(b, "csv", "23.5,41,1013.2,-7") }
func BenchmarkRegexp(b *testing.B) {
	benchApply(b, `re:T=(?P<temp>\S+) H=(?P<hum>\S+)`, "T=23.5 H=41")
}
func BenchmarkBinary(b *testing.B) { benchApply(b, "bin:temp@2:i16be*0.1", "\xAA\x01\x00\xEB\x55") }

// BenchmarkKVFreshSlice is kv as a caller that keeps every message's values
// (an event field) pays: the one result slice.
func BenchmarkKVFreshSlice(b *testing.B) {
	s := mustSet(b, "kv")
	text := "温度=23.5℃ 湿度=41%"
	data := []byte(text)
	b.ReportAllocs()
	for b.Loop() {
		if len(s.Apply(nil, data, text)) != 2 {
			b.Fatal("want 2 values")
		}
	}
}

func BenchmarkJSONStdlib(b *testing.B) {
	data := []byte(benchJSON)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}
