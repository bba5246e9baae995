// The aq-test-server library: the local double of the Arize annotation-queue API.
