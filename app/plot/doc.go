// Package plot is a live line chart for many named series: the numbers a session
// extracts from what it receives, drawn as they come.
//
// A series is one value from one peer (SeriesKey: "temp 127.0.0.1:5000"); the
// legend lists them and toggles each on and off. The time axis shows the last 10 s
// to 1 h (Windows), following the clock or paused; the value axis fits the visible
// data (autoscale) or a fixed range. Resting the pointer on the plot reads the
// point under it. WriteCSV and WritePNG export what is shown.
//
// # Threading
//
// Add may be called from any goroutine, at any rate: it only appends the point to
// its series' ring under that series' mutex. Everything else is for the UI
// goroutine. Tick, called by the owner from its UI tick (the session pump's
// batched fyne.Do, every 16 to 100 ms, also when no data came, as the time axis
// moves on), folds the points added since the last tick into the pixel columns
// and has the plot redrawn if anything changed. The plot is a canvas.Raster that
// draws the columns when Fyne paints the window, so it is drawn at most once per
// frame, and not at all while it is not on screen.
//
// # Memory and drawing cost
//
// A series keeps its newest MaxPoints (100,000) points, 16 bytes each (a time and
// a value), in a ring that grows as points come: 1.6 MB for a full series. A
// chart keeps MaxSeries (32) series, so at most 51.2 MB of points; the points of
// further series are counted (Dropped) and shown as a note under the legend.
//
// Drawing is decimated: each series becomes at most one bucket per pixel column
// (least, greatest, first and last value of the points in it), drawn as a
// vertical stroke from least to greatest joined to its neighbours. Columns are
// numbered from the epoch, so as the view scrolls the buckets made stay valid and
// a tick costs the points added since the last one plus the columns on screen,
// however many points the view holds. A rebuild from every point in view happens
// only when the width, the window or the visible set changes.
//
// # Words
//
// Every word the chart shows goes through the translation function given to New.
package plot
