// One platform at a time on a 2-core machine: the shared platform's collection, then each supervision test.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
