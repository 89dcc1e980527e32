//go:build !unix

package main

// descriptorLimit is a conservative guess where RLIMIT_NOFILE does not
// exist; set MAX_CONNS to choose.
func descriptorLimit() uint64 { return fallbackDescriptorLimit }
