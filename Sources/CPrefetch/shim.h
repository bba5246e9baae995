// Swift has no prefetch of its own: the planner's hash table asks for a slot's cache line a few
// records before it inserts there, so that the misses of several records overlap.
static inline void aq_prefetch_for_write(const void *address) { __builtin_prefetch(address, 1, 3); }
