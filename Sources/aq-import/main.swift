print("aq-import")
