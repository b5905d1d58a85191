print("segel-verify")
