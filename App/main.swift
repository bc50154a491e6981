print("leopost")
