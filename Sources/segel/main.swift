print("segel")
