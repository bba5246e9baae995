print("aq-test-server")
