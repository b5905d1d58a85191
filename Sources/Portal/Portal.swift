// Portal module
