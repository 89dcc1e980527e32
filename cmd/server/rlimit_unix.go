//go:build unix

package main

import "syscall"

// descriptorLimit is how many files this process may hold open: the soft
// RLIMIT_NOFILE, which the Go runtime raises to the hard limit at startup.
func descriptorLimit() uint64 {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return fallbackDescriptorLimit
	}
	return r.Cur
}
