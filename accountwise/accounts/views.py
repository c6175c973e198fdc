from django.http import HttpResponse


def account_list(request):
    return HttpResponse("accounts")


def account_create(request):
    return HttpResponse("new account")


def account_detail(request, pk):
    return HttpResponse("account")


def account_contacts(request, pk):
    return HttpResponse("contacts")
