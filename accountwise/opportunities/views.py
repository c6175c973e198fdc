from django.http import HttpResponse


def opportunity_create(request):
    return HttpResponse("new opportunity")


def opportunity_detail(request, pk):
    return HttpResponse("opportunity")
