//go:build unix

package bench

import "golang.org/x/sys/unix"

// kernelRelease returns uname's release: "6.1.0-28-amd64" on Linux,
// "23.6.0" (the Darwin kernel) on macOS.
func kernelRelease() string {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return ""
	}
	return unix.ByteSliceToString(u.Release[:])
}
