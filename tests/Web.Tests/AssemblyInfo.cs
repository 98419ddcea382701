// One platform and one browser for the assembly, and its tests one at a time: on two cores, pages loaded in parallel
// would make each other's timings (and timeouts) meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
