from django.http import HttpResponse


def contract_create(request):
    return HttpResponse("new contract")


def contract_detail(request, pk):
    return HttpResponse("contract")
