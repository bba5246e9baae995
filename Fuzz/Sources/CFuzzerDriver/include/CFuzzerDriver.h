#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, for a main of our own: SwiftPM links Linux executables with main renamed to
// <Module>_main, so each target defines that and hands over to libFuzzer.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
