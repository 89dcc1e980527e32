package memlimit

import (
	"math"
	"testing"
	"testing/fstest"
)

func TestDetect(t *testing.T) {
	v2 := &fstest.MapFile{Data: []byte("1073741824\n")}
	v1 := &fstest.MapFile{Data: []byte("536870912\n")}
	tests := []struct {
		name    string
		goLimit int64
		files   fstest.MapFS
		want    Limit
	}{
		{"GOMEMLIMIT first", 900 << 20, fstest.MapFS{cgroupV2File: v2}, Limit{900 << 20, SourceGOMEMLIMIT}},
		{"cgroup v2", math.MaxInt64, fstest.MapFS{cgroupV2File: v2, cgroupV1File: v1}, Limit{1 << 30, SourceCgroupV2}},
		{"cgroup v2 max falls to v1", math.MaxInt64, fstest.MapFS{cgroupV2File: {Data: []byte("max\n")}, cgroupV1File: v1}, Limit{512 << 20, SourceCgroupV1}},
		{"cgroup v1", math.MaxInt64, fstest.MapFS{cgroupV1File: v1}, Limit{512 << 20, SourceCgroupV1}},
		{"cgroup v1 unlimited", math.MaxInt64, fstest.MapFS{cgroupV1File: {Data: []byte("9223372036854771712\n")}}, Limit{0, SourceNone}},
		{"nothing", math.MaxInt64, fstest.MapFS{}, Limit{0, SourceNone}},
		{"garbage", math.MaxInt64, fstest.MapFS{cgroupV2File: {Data: []byte("lots")}}, Limit{0, SourceNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detect(tt.goLimit, tt.files); got != tt.want {
				t.Errorf("detect = %+v, want %+v", got, tt.want)
			}
		})
	}
}
