package plot

import (
	"math"
	"strconv"
	"time"
)

// niceStep is the step of at most maxTicks+1 ticks over span: 1, 2 or 5 times a
// power of ten.
func niceStep(span float64, maxTicks int) float64 {
	if span <= 0 || maxTicks < 1 || math.IsInf(span, 0) || math.IsNaN(span) {
		return 1
	}
	raw := span / float64(maxTicks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// autoRange widens the values' range to whole steps, with room above and below,
// so the curve does not touch the edges and the labels are round numbers.
func autoRange(lo, hi float64, maxTicks int) (float64, float64) {
	if lo == hi {
		pad := math.Max(math.Abs(lo)*0.1, 1)
		lo, hi = lo-pad, hi+pad
	}
	pad := (hi - lo) * 0.05
	lo, hi = lo-pad, hi+pad
	step := niceStep(hi-lo, maxTicks)
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step
}

// valueTicks are the round values in [lo, hi] to label.
func valueTicks(lo, hi float64, maxTicks int) []float64 {
	step := niceStep(hi-lo, maxTicks)
	var ticks []float64
	for v := math.Ceil(lo/step) * step; v <= hi+step*1e-9 && len(ticks) <= maxTicks+1; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0 // not -0 or 1e-17
		}
		ticks = append(ticks, v)
	}
	return ticks
}

// formatTick writes a tick value with as many decimals as its step needs.
func formatTick(v, step float64) string {
	if a := math.Abs(v); a >= 1e7 || step < 1e-5 && a != 0 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// timeSteps are the spacings between time labels, smallest first.
var timeSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
}

// timeTicks are the round clock times in [start, end) to label, at most maxTicks
// of them, aligned in start's time zone.
func timeTicks(start, end time.Time, maxTicks int) (ticks []time.Time, step time.Duration) {
	span := end.Sub(start)
	step = timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if span/s <= time.Duration(max(maxTicks, 1)) {
			step = s
			break
		}
	}
	_, offset := start.Zone()
	shift := time.Duration(offset) * time.Second
	first := start.Add(shift).Truncate(step).Add(-shift)
	for t := first; t.Before(end); t = t.Add(step) {
		if !t.Before(start) {
			ticks = append(ticks, t)
		}
	}
	return ticks, step
}

// formatTime writes a time label: seconds only when the labels are seconds apart.
func formatTime(t time.Time, step time.Duration) string {
	if step < time.Minute {
		return t.Format("15:04:05")
	}
	return t.Format("15:04")
}
